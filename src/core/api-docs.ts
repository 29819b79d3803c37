import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiHeader, ApiUnauthorizedResponse } from '@nestjs/swagger';

/** The responses every signed-in route can give, documented once. */
export const ApiSignedIn = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'No valid personal access token.' }),
    ApiForbiddenResponse({ description: 'Your role may not do this.' }),
  );

/** Command routes: idempotency and bad input. */
export const ApiCommand = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'Send the same key when retrying: the command is recorded once and the first answer is returned.',
    }),
    ApiBadRequestResponse({ description: 'Invalid input: `details` lists each failing field.' }),
  );
