import { ApiProperty } from '@nestjs/swagger';

class RecordedEventView {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'TeamRegistered' }) type!: string;
  @ApiProperty({ type: Object }) data!: unknown;
}

/** What every command route answers (201/200): what was recorded, and where. */
export class DecideResultView {
  @ApiProperty({ example: 'team-cin-north' }) streamId!: string;
  @ApiProperty({ example: '42', description: 'Global position of the last event appended (read-your-writes token).' })
  position!: string;
  @ApiProperty({ example: '0', description: 'Stream revision after this command.' }) revision!: string;
  @ApiProperty({ type: [RecordedEventView] }) events!: RecordedEventView[];
  @ApiProperty({
    description: 'True when this repeated an earlier command with the same Idempotency-Key: nothing new was recorded.',
  })
  replayed!: boolean;
}
